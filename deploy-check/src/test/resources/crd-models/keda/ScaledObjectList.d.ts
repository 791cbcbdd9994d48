import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObject } from "./ScaledObject.js";
import { IIoK8sApimachineryPkgApisMetaV1ListMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ListMeta";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * ScaledObjectList is a list of ScaledObject resources
 */
export interface IScaledObjectList extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObject>;
    "kind": "ScaledObjectList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
}
/**
 * ScaledObjectList is a list of ScaledObject resources
 */
export declare class ScaledObjectList extends Model<IScaledObjectList> implements IScaledObjectList {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObject>;
    "kind": "ScaledObjectList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
    static apiVersion: IScaledObjectList["apiVersion"];
    static kind: IScaledObjectList["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IScaledObjectList>;
    constructor(data?: ModelData<IScaledObjectList>);
}
export type { IScaledObjectList as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectList, ScaledObjectList as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectList };
