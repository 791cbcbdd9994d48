import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectSpec } from "./ScaledObjectSpec.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectStatus } from "./ScaledObjectStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * ScaledObject is a specification for a ScaledObject resource
 */
export interface IScaledObject extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "ScaledObject";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectStatus;
}
/**
 * ScaledObject is a specification for a ScaledObject resource
 */
export declare class ScaledObject extends Model<IScaledObject> implements IScaledObject {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "ScaledObject";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObjectStatus;
    static apiVersion: IScaledObject["apiVersion"];
    static kind: IScaledObject["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IScaledObject>;
    constructor(data?: ModelData<IScaledObject>);
}
export type { IScaledObject as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObject, ScaledObject as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaledObject };
