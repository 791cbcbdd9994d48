import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret } from "./ValueFromSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IAwsSecretManagerValue {
    "valueFrom": IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret;
}
export declare class AwsSecretManagerValue extends Model<IAwsSecretManagerValue> implements IAwsSecretManagerValue {
    "valueFrom": IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret;
    constructor(data?: ModelData<IAwsSecretManagerValue>);
}
export type { IAwsSecretManagerValue as IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue, AwsSecretManagerValue as ComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerValue };
